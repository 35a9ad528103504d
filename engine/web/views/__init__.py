"""The pages, one module per family; each module's ``routes(web)`` serves its pages with the shared
:class:`~partnership_health.web.app.Web`."""
