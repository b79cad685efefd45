from django.core.management import call_command

from accounts.models import County, Employee, Unit


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo")
    counts = (County.objects.count(), Unit.objects.count(), Employee.objects.count())
    passwords = list(Employee.objects.order_by("pk").values_list("password", flat=True))
    call_command("seed_demo")
    assert (County.objects.count(), Unit.objects.count(), Employee.objects.count()) == counts
    assert list(Employee.objects.order_by("pk").values_list("password", flat=True)) == passwords
    assert counts[0] == 15
    assert counts[1] >= 40
    assert counts[2] >= 60
    assert Unit.objects.filter(kind=Unit.Kind.DIRECTORATE_DEPARTMENT).count() == 5
    assert "demo-erfaring-2026" in capsys.readouterr().out
