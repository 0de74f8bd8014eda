"""IPShield (知保): an intellectual-property protection platform for a county or province."""

__version__ = "0.1.0"
