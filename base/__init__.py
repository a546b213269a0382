"""The base module every app may use: the actor and access-log infrastructure (``base.audit``),
the shape of an object policy (``base.policy``) and the field-update helper of the services
(``base.updates``). It imports no app above ``accounts``."""
