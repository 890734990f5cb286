"""Exports of any app's data to XLSX or CSV, made by a Celery worker with progress.

An app contributes a dataset (datasets.Dataset, in its own exports.py, registered from
its AppConfig.ready()); the kernel owns the job model, the task, the pages (create,
status, download) and the file writers. A new dataset is one small class and no
migration: ExportJob.dataset is the dataset's key, not a choice list.
"""
