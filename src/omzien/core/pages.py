"""Rendering helpers shared by every app's views."""

from django.shortcuts import render


def render_form(request, template, context, form):
    """Render a page with a form. A submitted form that comes back here was refused, so the
    answer is a 400: browsers show the page with its messages, tools see the refusal."""
    status = 400 if request.method == "POST" and form.is_bound else 200
    return render(request, template, {**context, "form": form}, status=status)
