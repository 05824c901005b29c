"""graphmodel: a CQC children's safeguarding review as a graph you can question."""

__version__ = "0.1.0"
