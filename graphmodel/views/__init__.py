"""Pictures of an area: ``build`` decides what each view shows, as a ``view.View``
(styled nodes, edges and problems) that every renderer reads; ``layout``
places layered views; ``progress`` marks the action plan's progress;
``html_map`` and ``export`` render a view.
"""
