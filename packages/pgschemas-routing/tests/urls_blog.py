from tests.views import make_handlers, patterns

urlpatterns = patterns("blog")
handler404, handler500 = make_handlers("blog")
