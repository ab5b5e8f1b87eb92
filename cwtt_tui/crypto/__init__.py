"""All cryptography of cwtt: key slots, row sealing, recovery keys and device keys.

Only this package imports `cryptography`; the store and exports call these functions.
"""

from cwtt_tui.crypto.device_keys import DeviceKeys, fingerprint, public_pem
from cwtt_tui.crypto.kdf import TEST_KDF, KdfParams, calibrate_kdf
from cwtt_tui.crypto.sealing import RowSealer, new_data_key
from cwtt_tui.crypto.slots import unwrap_data_key, wrap_data_key

__all__ = [
    "DeviceKeys",
    "KdfParams",
    "RowSealer",
    "TEST_KDF",
    "calibrate_kdf",
    "fingerprint",
    "new_data_key",
    "public_pem",
    "unwrap_data_key",
    "wrap_data_key",
]
