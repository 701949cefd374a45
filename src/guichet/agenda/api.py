from ninja import Router

router = Router(tags=["rendez-vous"])
