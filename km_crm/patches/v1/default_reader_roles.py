"""Knowledge reader roles became a setting: start upgraded sites with the defaults new installs get."""

from km_crm import constants as C
from km_crm.setup.install import add_reader_roles


def execute():
	add_reader_roles(C.DEFAULT_READER_ROLES)
