"""``update_index``: Wagtail's (modelsearch's) rebuild of the search index, then the sentence
embeddings of everything whose text changed since it was last embedded (all of it the first time,
or when the model changes). Embeddings are stored in the database, so a restart needs neither."""

from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand

from community.sitesearch import encoder, semantic


class Command(RebuildCommand):
    def handle(self, **options):
        super().handle(**options)
        if encoder.get_encoder() is None:
            state = encoder.status()
            if state["enabled"]:
                self.stderr.write(f"Semantic search is off, search stays lexical: {state['error']}")
            return
        semantic.embed_all(stdout=self.stdout)
