"""Staff pages for imports: upload a file, see what each run did, keep sources that are read
again automatically, and decide on possible duplicates."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omzien.core.access import staff_view
from omzien.core.models import AuditEvent
from omzien.core.pages import render_form
from omzien.core.permissions import Perm
from omzien.core.services import record_audit_event, save_form_with_audit

from ..forms.imports import DuplicateDecisionForm, ImportSourceForm, ImportUploadForm
from ..models import DuplicateCandidate, ImportRun, ImportSource
from ..services import imports as service


@staff_view(Perm.IMPORT_ACTIVITIES)
def upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        run = service.run_import(
            form.cleaned_data["format"], upload_file.read(), upload_file.name,
            organisation=form.cleaned_data["organisation"], user=request.user,
        )
        record_audit_event(request.user, AuditEvent.Action.IMPORT, run,
                           detail={"format": run.format, "created": run.created,
                                   "updated": run.updated, "rejected": run.rejected})
        if run.failure:
            form.add_error("file", run.failure)
            return render_form(request, "activities/import_upload.html", {}, form)
        return redirect("activities_staff:import_run", pk=run.pk)
    return render_form(request, "activities/import_upload.html", {}, form)


@staff_view(Perm.IMPORT_ACTIVITIES)
def run_list(request):
    runs = ImportRun.objects.select_related("source", "started_by")
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(request, "activities/import_runs.html", {"page": page})


@staff_view(Perm.IMPORT_ACTIVITIES)
def run_detail(request, pk):
    run = get_object_or_404(ImportRun.objects.select_related("source", "started_by"), pk=pk)
    return render(request, "activities/import_run.html", {"run": run})


@staff_view(Perm.IMPORT_ACTIVITIES)
def source_list(request):
    sources = ImportSource.objects.select_related("organisation")
    return render(request, "activities/import_sources.html", {"sources": sources})


@staff_view(Perm.IMPORT_ACTIVITIES)
def source_create(request):
    return _source_form(request, ImportSource())


@staff_view(Perm.IMPORT_ACTIVITIES)
def source_edit(request, pk):
    return _source_form(request, get_object_or_404(ImportSource, pk=pk))


def _source_form(request, source):
    form = ImportSourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        save_form_with_audit(request.user, form)
        messages.success(request, _("The import source has been saved."))
        return redirect("activities_staff:import_sources")
    return render_form(request, "activities/import_source_form.html", {"source": source}, form)


@staff_view(Perm.IMPORT_ACTIVITIES)
@require_POST
def source_read_now(request, pk):
    from ..tasks import reimport_source

    source = get_object_or_404(ImportSource, pk=pk)
    if not source.is_active:
        messages.error(request, _("This source is switched off; switch it on to read it."))
        return redirect("activities_staff:import_sources")
    reimport_source.enqueue(source.pk)
    messages.success(request, _("The source will be read shortly. The result appears under "
                                "import runs."))
    return redirect("activities_staff:import_sources")


@staff_view(Perm.IMPORT_ACTIVITIES)
def duplicate_list(request):
    page = Paginator(service.open_candidates(), 20).get_page(request.GET.get("page"))
    return render(request, "activities/duplicate_list.html", {"page": page})


@staff_view(Perm.IMPORT_ACTIVITIES)
@require_POST
def duplicate_decide(request, pk):
    candidate = get_object_or_404(
        DuplicateCandidate.objects.select_related("activity", "duplicate_of"),
        pk=pk, state=DuplicateCandidate.State.OPEN,
    )
    form = DuplicateDecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose which activity to keep, or that they differ."))
    decision = form.cleaned_data["decision"]
    if decision == "dismiss":
        service.dismiss_duplicate(request.user, candidate)
        messages.success(request, _("Marked as different activities."))
    else:
        keep = candidate.activity if decision == "keep_activity" else candidate.duplicate_of
        try:
            service.merge_duplicate(request.user, candidate, keep)
        except service.MergeRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("activities_staff:duplicates")
        messages.success(request, _("The activities have been merged into “%(title)s”.")
                         % {"title": keep.title})
    return redirect("activities_staff:duplicates")
