"""Signals of the recognition workflow for the apps built on it (arrows point one way: recognition
knows nothing of its listeners).

``certification_ended`` is sent, inside the service's transaction, whenever certifications stop
being in force (终止, 晋级/重新认定, 梯队调整, 到期): ``certification_ids`` (a list), ``actor`` (None
for the daily job) and ``because`` (a Chinese sentence naming what ended them). The yearly
evaluation, for instance, withdraws the proposals still pending for those certifications.
"""

from django.dispatch import Signal

certification_ended = Signal()


def send_ended(*, certification_ids, actor, because: str) -> None:
    ids = [pk for pk in certification_ids if pk is not None]
    if ids:
        certification_ended.send(sender=None, certification_ids=ids, actor=actor, because=because)
