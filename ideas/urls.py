# The views of this part are wired here as its issue lands; the header shows the section
# as soon as "ideas:index" resolves.
app_name = "ideas"

urlpatterns = []
