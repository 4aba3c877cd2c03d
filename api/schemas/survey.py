"""Survey schemas: the questionnaire, answers, open waves, anonymous links and results."""

import marshmallow as ma
from marshmallow import validate

from api.models import SurveyWave
from api.schemas.common import AwareDateTime, Schema


class QuestionnaireSchema(Schema):
    version = ma.fields.Integer()
    title = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    intro = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    source = ma.fields.String()
    scales = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.Dict()))
    questions = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Each question: `id`, `type` (choice | scale), `text` {nl, en}, `options` or `scale`, "
                       "optional `show_if` {question_id: value} and `cohesion` (positive | reverse)."
    })


ANSWERS_DESCRIPTION = (
    "Question id → chosen value (see the questionnaire). Leave a question out to skip it; every question "
    "may be skipped."
)


class AnswersField(ma.fields.Dict):
    def __init__(self, **kwargs):
        super().__init__(keys=ma.fields.String(validate=validate.Length(max=60)),
                         values=ma.fields.Raw(), metadata={"description": ANSWERS_DESCRIPTION}, **kwargs)


class SurveyAnswerSchema(Schema):
    wave = ma.fields.String(required=True, validate=validate.OneOf([SurveyWave.baseline, SurveyWave.follow_up]),
                            metadata={"description": "`baseline` or `follow_up` (the round follows from the date)."})
    questionnaire_version = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=1000))
    answers = AnswersField(required=True)


class SurveyResponseSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    group_id = ma.fields.Integer(dump_only=True)
    wave = ma.fields.Enum(SurveyWave, by_value=True, dump_only=True)
    follow_up_month = ma.fields.Method("_month", dump_only=True, allow_none=True,
                                       metadata={"type": "integer", "nullable": True})
    questionnaire_version = ma.fields.Integer(dump_only=True)
    answers = ma.fields.Dict(dump_only=True)
    submitted_at = AwareDateTime(dump_only=True)
    withdrawn = ma.fields.Boolean(dump_only=True)

    def _month(self, obj):
        return obj.follow_up_month or None


class OpenWaveSchema(Schema):
    wave = ma.fields.Enum(SurveyWave, by_value=True)
    follow_up_month = ma.fields.Integer(allow_none=True)
    opens_at = AwareDateTime()
    closes_at = AwareDateTime()


class MySurveysSchema(Schema):
    group_id = ma.fields.Integer()
    questionnaire_version = ma.fields.Integer()
    open = ma.fields.List(ma.fields.Nested(OpenWaveSchema), metadata={
        "description": "Waves I can answer now: baseline in my first week, follow-ups after 3 and 12 months."
    })
    responses = ma.fields.List(ma.fields.Nested(SurveyResponseSchema), metadata={
        "description": "My own earlier answers (withdraw them with DELETE /api/v1/surveys/responses/{id})."
    })


class SurveyLinkCreateSchema(Schema):
    expires_in_days = ma.fields.Integer(load_default=None, validate=validate.Range(min=1, max=365))


class SurveyLinkSchema(Schema):
    id = ma.fields.Integer()
    group_id = ma.fields.Integer()
    token = ma.fields.String(metadata={"description": "Shown only now; only its hash is stored."})
    url = ma.fields.String()
    expires_at = AwareDateTime()


class PublicSurveySchema(Schema):
    group_name = ma.fields.String()
    expires_at = AwareDateTime()
    questionnaire = ma.fields.Nested(QuestionnaireSchema)


class PublicAnswerSchema(Schema):
    device_token = ma.fields.String(required=True, validate=validate.Length(min=16, max=200), metadata={
        "description": "A random value the browser makes once and keeps; only a keyed hash is stored."
    })
    questionnaire_version = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=1000))
    answers = AnswersField(required=True)


class PublicAnswerReceiptSchema(Schema):
    received = ma.fields.Boolean()
    submitted_at = AwareDateTime()


class FigureSchema(Schema):
    """One statistic; when ``suppressed`` it has no numbers, only ``label`` "too few"."""

    suppressed = ma.fields.Boolean()
    label = ma.fields.String(allow_none=True)
    n = ma.fields.Integer(allow_none=True)
    share = ma.fields.Float()
    mean = ma.fields.Float()
    ci_low = ma.fields.Float()
    ci_high = ma.fields.Float()
    before = ma.fields.Float()
    after = ma.fields.Float()
    change = ma.fields.Float()
    participants_change = ma.fields.Float()
    non_participants_change = ma.fields.Float()
    estimate = ma.fields.Float()
    n_pairs = ma.fields.Integer()
    n_non_participants_before = ma.fields.Integer()
    n_non_participants_after = ma.fields.Integer()


class ResultCellSchema(Schema):
    respondent_type = ma.fields.String(metadata={"enum": ["participant", "non_participant"]})
    wave = ma.fields.String(metadata={"enum": [w.value for w in SurveyWave]})
    month = ma.fields.Integer(metadata={"description": "0 = baseline / group start, 3 or 12 months."})
    respondents = ma.fields.Integer(allow_none=True)
    suppressed = ma.fields.Boolean()
    label = ma.fields.String(allow_none=True)
    unsafe = ma.fields.Nested(FigureSchema, allow_none=True)
    unsafe_after_dark = ma.fields.Nested(FigureSchema, allow_none=True)
    cohesion = ma.fields.Nested(FigureSchema, allow_none=True)


class PairedChangeSchema(Schema):
    follow_up_month = ma.fields.Integer()
    pairs = ma.fields.Integer(allow_none=True)
    cohesion = ma.fields.Nested(FigureSchema)
    unsafe = ma.fields.Nested(FigureSchema)


class DiffInDiffSchema(Schema):
    follow_up_month = ma.fields.Integer()
    cohesion = ma.fields.Nested(FigureSchema)
    unsafe = ma.fields.Nested(FigureSchema)


class SurveyResultsSchema(Schema):
    group_id = ma.fields.Integer()
    questionnaire_version = ma.fields.Integer()
    min_cell = ma.fields.Integer(metadata={"description": "Figures over fewer respondents are suppressed."})
    cells = ma.fields.List(ma.fields.Nested(ResultCellSchema))
    paired_change = ma.fields.List(ma.fields.Nested(PairedChangeSchema))
    difference_in_differences = ma.fields.List(ma.fields.Nested(DiffInDiffSchema))
