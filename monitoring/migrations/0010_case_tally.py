"""The tally of open cases and cases with problems per unit and prosecutor
(``monitoring.tally``, ``CaseTally``), counted from the stored cases.

The table is tenant data (a ``unit`` foreign key): ``sothuly.rls`` gives it
the unit policy after this migration, as every tenant table.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from monitoring import tally

    tally.rebuild_cases(
        models=(
            apps.get_model("cases", "ExecutionCase"),
            apps.get_model("monitoring", "CaseTally"),
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_user_receives_digest'),
        ('monitoring', '0009_deadline_tally'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('prosecutor_key', models.IntegerField(default=0, verbose_name='kiểm sát viên')),
                ('open_cases', models.IntegerField(default=0, verbose_name='hồ sơ đang thụ lý')),
                ('problems', models.IntegerField(default=0, verbose_name='hồ sơ có mâu thuẫn dữ liệu')),
                ('unit', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='cases.unit', verbose_name='đơn vị')),
            ],
            options={
                'verbose_name': 'tổng hợp hồ sơ',
                'verbose_name_plural': 'tổng hợp hồ sơ',
                'constraints': [models.UniqueConstraint(fields=('unit', 'prosecutor_key'), name='uniq_case_tally')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
