"""The demo: a site with knowledge, reviews, customers, tickets and months of history to walk.

Load it with `bench --site SITE execute km_crm.demo.loader.load` (idempotent); km_crm/setup/ holds
what install and uninstall need only."""
