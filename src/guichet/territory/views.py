from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.accounts.access import login_only


@login_only
def quartiers(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})
