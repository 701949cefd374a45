from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm


@require_perm(Perm.HOUSEHOLD_VIEW)
def household_list(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})
