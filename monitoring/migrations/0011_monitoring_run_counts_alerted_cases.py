"""The nightly job's ``MonitoringRun.cases`` counts the open cases it found
something to alert about that day, no longer every open case
(``monitoring.jobs.run_monitoring``).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0010_case_tally'),
    ]

    operations = [
        migrations.AlterField(
            model_name='monitoringrun',
            name='cases',
            field=models.PositiveIntegerField(default=0, verbose_name='số hồ sơ cần cảnh báo'),
        ),
    ]
