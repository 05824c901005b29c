"""Making a model for a new area: ``new_area`` (the folder from a report),
``bodies`` (organisations the report names), ``drafting`` (flows proposed from
sentences), ``yaml_edit`` (YAML edits that keep comments: accepting drafts)
and ``worklist`` (what is left to model).
"""
