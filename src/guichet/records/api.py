from ninja import Router

router = Router(tags=["pièces et notes"])
