from tests.views import make_handlers, patterns

urlpatterns = patterns("www")
handler404, handler500 = make_handlers("www")
