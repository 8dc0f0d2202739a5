from tests.views import make_handlers, patterns

urlpatterns = patterns("public")
handler404, handler500 = make_handlers("public")
