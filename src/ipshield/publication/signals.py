"""What the publication app tells other apps, inside the publishing transaction.

The credit app keeps a credit record for every published decision: it connects to these
signals (``credit.apps``), so publication never imports credit and the hand-off goes one way.
A receiver that raises undoes the publication with it.
"""

from django.dispatch import Signal

# sent with ``publication`` and ``actor`` when a decision is published
publication_published = Signal()

# sent with ``publication``, ``actor`` and ``reason`` when a publication is withdrawn
publication_withdrawn = Signal()
