from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "guichet.rights"
    label = "rights"
    verbose_name = "Accès aux droits"

    def ready(self) -> None:
        from guichet.households.merge import register_merge_hook  # noqa: PLC0415
        from guichet.households.timeline import register_timeline_audience, register_timeline_provider  # noqa: PLC0415
        from guichet.rights.models import RightsAssessment  # noqa: PLC0415
        from guichet.rights.perms import can_assess  # noqa: PLC0415
        from guichet.rights.timeline import ASSESSORS, assessment_events, move_assessments  # noqa: PLC0415

        register_timeline_provider(
            "rights.assessments",
            assessment_events,
            sources={RightsAssessment: lambda assessment: [assessment.household_id]},
        )
        register_timeline_audience(ASSESSORS, lambda user, _argument: can_assess(user))
        register_merge_hook("rights.assessments", move_assessments)
        from guichet.rights.campaigns import move_campaign_targets  # noqa: PLC0415

        register_merge_hook("rights.campaign_targets", move_campaign_targets)
