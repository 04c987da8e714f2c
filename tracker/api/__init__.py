"""The researchers' API at ``/api/v1/``: the framework every collection is built on.

Every collection view derives from ``views.RecordViewSet``: its queryset starts from
``Model.objects.visible_to(access.viewer(request))`` (the one gate in ``tracker.access``),
rows are built from ``.values()`` by the collection's ``rows`` function (which gates nested records
too), pages are cut by a keyset cursor on a stable unique key (``pagination``: no
``COUNT(*)``, no ``OFFSET``), and the same rows render as JSON, CSV or GeoJSON
(``renderers``), or stream as a bulk export (``export``).
"""
