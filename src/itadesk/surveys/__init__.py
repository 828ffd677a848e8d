"""Practice IIT and EIT surveys: answer scales as data, scoring with confidence intervals,
answers files, and the predicted ITA (pure core, no Django)."""

from itadesk.surveys.definition import ESTIMATED_LABEL, SURVEY_TOOLS, SurveyDefinition, load_definition

__all__ = ["ESTIMATED_LABEL", "SURVEY_TOOLS", "SurveyDefinition", "load_definition"]
