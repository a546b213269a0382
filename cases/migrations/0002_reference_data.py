"""The five life domains and the frequent topics (R2)."""

from django.db import migrations

DOMAINS = ("health", "parenting", "money", "housing", "participation")
TOPICS = {
    "loneliness": "participation",
    "finances": "money",
    "debts": "money",
    "informal_care": "health",
    "housing": "housing",
    "divorce": "parenting",
    "food_bank": "money",
    "parenting_support": "parenting",
    "mobility": "health",
    "daytime_activities": "participation",
    "work_and_income": "participation",
}


def create(apps, schema_editor):
    LifeDomain = apps.get_model("cases", "LifeDomain")
    Topic = apps.get_model("cases", "Topic")
    domains = {code: LifeDomain.objects.get_or_create(code=code)[0] for code in DOMAINS}
    for code, domain in TOPICS.items():
        Topic.objects.get_or_create(code=code, defaults={"domain": domains[domain]})


def remove(apps, schema_editor):
    apps.get_model("cases", "Topic").objects.all().delete()
    apps.get_model("cases", "LifeDomain").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
