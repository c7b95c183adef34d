"""advisor: a rule-based expert system from a digital-maturity assessment to an explained, staged roadmap."""

__version__ = "0.1.0"
