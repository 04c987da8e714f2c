from tracker.api.routers import CollectionRouter

from . import views

router = CollectionRouter()
router.register("sources", views.SourceViewSet)
router.register("raids", views.RaidViewSet)
router.register("detentions", views.DetentionViewSet)
router.register("incidents", views.IncidentViewSet)
router.register("political-prisoners", views.PoliticalPrisonerViewSet)
urlpatterns = router.urls
