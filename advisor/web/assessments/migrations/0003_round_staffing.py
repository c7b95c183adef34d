# Generated for issue 12: the assessment's optional staffing section kept with an imported round

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_round_outcomes'),
    ]

    operations = [
        migrations.AddField(
            model_name='round',
            name='staffing',
            field=models.JSONField(blank=True, null=True),
        ),
    ]
