"""The model layer: an area folder read, checked and held as a ``Model``.

``schema`` (pydantic types of the YAML files) and ``report`` (the report's text
to findings and recommendations) at the bottom; ``yamlread`` (YAML with lines);
``types`` (the checked ``Model``); ``messages`` (problems in a modeller's
words); ``checks`` (references, quotes, extraction, drafts, actions);
``codebook`` (the modelling rules); ``load`` (a folder to a ``Model``).
"""
