from tests.views import make_handlers, patterns

urlpatterns = patterns("tenant")
handler404, handler500 = make_handlers("tenant")
