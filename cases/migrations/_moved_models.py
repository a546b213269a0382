"""Shared by the migrations that move a model into ``cases``: its content type moves along, so
audit entries and permissions keep pointing at it. (The loader skips modules starting with _.)"""


def move_content_type(model: str, *, source: str, target: str = "cases"):
    def forwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)

    def backwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=source, model=model).exists():
            ContentType.objects.filter(app_label=target, model=model).update(app_label=source)

    return forwards, backwards
