"""The web application (Django): project offices keep their assessments, consultants produce roadmaps.

An optional extra (``pip install '.[web]'``); it calls only ``advisor.api`` and never scores or plans itself.
"""
