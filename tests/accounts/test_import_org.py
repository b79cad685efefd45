import pytest
from django.core.management import CommandError, call_command

from accounts.models import County, Employee, Unit
from accounts.services import OrgImportError, import_org

HEADER = "type,number,name,kind,county,parent,email,title,unit\n"
GOOD = HEADER + (
    "unit,0130,Juridisk avdeling,directorate_department,,,,,\n"
    "unit,4601,NAV Bergen sør,local_office,46,,,,\n"
    "unit,4602,NAV Bergen nord,local_office,46,4601,,,\n"
    "employee,,Kari Nordmann,,,,kari@erfaringsforum.example,Veileder,4601\n"
    "employee,,Lars Bakken,,,,lars@erfaringsforum.example,Jurist,0130\n"
)


@pytest.fixture
def counties(db):
    County.objects.create(number="46", name="Vestland")
    County.objects.create(number="03", name="Oslo")


def test_a_good_file_creates_units_and_employees(counties):
    report = import_org(GOOD)
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    kari = Employee.objects.select_related("unit__county").get(email="kari@erfaringsforum.example")
    assert kari.unit.number == "4601"
    assert kari.county.name == "Vestland"
    assert Unit.objects.get(number="4602").parent.number == "4601"
    assert Unit.objects.get(number="0130").county is None


def test_rerunning_the_same_file_changes_nothing(counties):
    import_org(GOOD)
    before = list(Employee.objects.order_by("pk").values())
    report = import_org(GOOD)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert list(Employee.objects.order_by("pk").values()) == before


def test_a_changed_row_is_updated_in_place(counties):
    import_org(GOOD)
    report = import_org(GOOD.replace("Kari Nordmann,,,,kari", "Kari Nordmann-Berg,,,,kari"))
    assert report.updated == 1
    assert Employee.objects.get(email="kari@erfaringsforum.example").name == "Kari Nordmann-Berg"


def test_a_bad_file_reports_every_line_and_imports_nothing(counties):
    bad = HEADER + (
        "unit,4601,NAV Bergen sør,local_office,46,,,,\n"
        "unit,4603,,space_station,99,,,,\n"
        "employee,,Uten Epost,,,,ikke-en-epost,Veileder,4601\n"
        "employee,,Ukjent Enhet,,,,ukjent@erfaringsforum.example,Veileder,9999\n"
        "robot,,,,,,,,\n"
    )
    with pytest.raises(OrgImportError) as caught:
        import_org(bad)
    errors = caught.value.errors
    assert any(e.startswith("line 3:") and "needs a name" in e for e in errors)
    assert any(e.startswith("line 3:") and "unknown unit kind" in e for e in errors)
    assert any(e.startswith("line 3:") and "unknown county" in e for e in errors)
    assert any(e.startswith("line 4:") and "not a valid e-mail" in e for e in errors)
    assert any(e.startswith("line 5:") and "unknown unit '9999'" in e for e in errors)
    assert any(e.startswith("line 6:") and "type must be" in e for e in errors)
    assert Unit.objects.count() == 0
    assert Employee.objects.count() == 0


def test_missing_columns_are_reported(counties):
    with pytest.raises(OrgImportError, match="missing columns"):
        import_org("type,number\nunit,1\n")


def test_the_command_prints_line_reports_and_fails(counties, tmp_path, capsys):
    path = tmp_path / "org.csv"
    path.write_text(HEADER + "employee,,X,,,,not-mail,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_org", str(path))
    assert "line 2:" in capsys.readouterr().err


def test_the_command_imports_a_good_file(counties, tmp_path, capsys):
    path = tmp_path / "org.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_org", str(path))
    assert "5 created" in capsys.readouterr().out
    call_command("import_org", str(path))
    assert "5 unchanged" in capsys.readouterr().out
