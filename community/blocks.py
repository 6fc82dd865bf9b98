from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class InsetTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "openquote"
        template = "blocks/inset_text.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(max_length=200, help_text="Describe the image for people who cannot see it.")
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image.html"


class BodyBlock(blocks.StreamBlock):
    """The blocks editors write page bodies with, shared by every page type."""

    heading = blocks.CharBlock(form_classname="title", icon="title", template="blocks/heading.html")
    paragraph = blocks.RichTextBlock(
        features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"],
        template="blocks/paragraph.html",
    )
    inset_text = InsetTextBlock()
    image = ImageBlock()
