from tracker.api.collections import CollectionRouter

from . import views

router = CollectionRouter()
router.register("organisations", views.OrganisationViewSet)
router.register("people", views.PersonViewSet)
urlpatterns = router.urls
