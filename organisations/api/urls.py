from tracker.api.routers import CollectionRouter

from . import views

router = CollectionRouter()
router.register("organisations", views.OrganisationViewSet)
router.register("people", views.PersonViewSet)
urlpatterns = router.urls
