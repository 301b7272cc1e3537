#!/usr/bin/env python3
"""Checks the cost model's kTrainerStateBytes against sizeof(tnas_rt::Trainer)
on the Cortex-M4 (the arm compiler has no C++ library, so the constant is
read from the header and handed over as a macro to a static_assert):
    trainer_state_size.py <source root>
Prints "trainer state: cost model N bytes, sizeof on cortex-m4 matches" or
the compiler's complaint, and exits non-zero on a mismatch."""
import os
import re
import subprocess
import sys
import tempfile

root = sys.argv[1]
header = os.path.join(root, "compiler", "include", "tnas", "Search",
                      "CostModelConstants.h")
match = re.search(r"kTrainerStateBytes\s*=\s*(\d+)", open(header).read())
if not match:
    sys.exit("no kTrainerStateBytes in " + header)
expected = int(match.group(1))
with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as f:
    f.write('#include "tnas_rt/trainer.h"\n'
            "static_assert(sizeof(tnas_rt::Trainer) == TNAS_EXPECTED, "
            '"kTrainerStateBytes is not sizeof(tnas_rt::Trainer)");\n')
    source = f.name
result = subprocess.run(
    ["arm-none-eabi-g++", "-mcpu=cortex-m4", "-std=c++17", "-fsyntax-only",
     "-I" + os.path.join(root, "runtime", "include"),
     "-DTNAS_EXPECTED=%d" % expected, source],
    capture_output=True, text=True)
os.unlink(source)
if result.returncode != 0:
    print(result.stderr)
    sys.exit("trainer state: cost model %d bytes, sizeof on cortex-m4 differs"
             % expected)
print("trainer state: cost model %d bytes, sizeof on cortex-m4 matches"
      % expected)
