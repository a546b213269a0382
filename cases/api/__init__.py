"""The intake API (issue [14]): Open Formulieren's generic JSON registration registers a
request for help with its resident (``POST /api/v1/intakes/``). Serializers check the payload,
the view hands it to the one intake service (``cases.services.intake_register_by_client``);
the shared API pieces (problem+json, API-Version, the parser and the rate limit) are in
``base/api.py``, the clients and their tokens in ``accounts/api_clients.py``."""
