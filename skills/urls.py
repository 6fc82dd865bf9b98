# The views of this part are wired here as its issue lands; the header shows the section
# as soon as "skills:index" resolves.
app_name = "skills"

urlpatterns = []
