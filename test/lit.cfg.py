# -*- Python -*-
# The tnasc lit suite. Tests live in directories that mirror compiler/:
# Frontend/, Dialect/, Conversion/, Target/, JIT/, e2e/; unit/ holds the
# GoogleTest binaries.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "TNAS"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".tnas", ".test"]
config.excludes = ["unit", "Inputs", "lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tnas_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%tnas_src", config.tnas_src_root))
config.substitutions.append(("%stdlib", os.path.join(config.tnas_src_root, "stdlib")))
config.substitutions.append(("%examples", os.path.join(config.tnas_src_root, "examples")))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.tnas_tools_dir, config.llvm_tools_dir]
tools = ["tnasc", "tnas-opt"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.tnas_tools_dir, append_path=True)

# Cross toolchain and emulator for the end-to-end tests on Cortex-M4.
import shutil
if shutil.which("arm-none-eabi-g++") and shutil.which("qemu-system-arm"):
    config.available_features.add("arm-qemu")

# The real Fashion-MNIST (Debian's dataset-fashion-mnist, installed by
# scripts/setup.sh) for the accuracy tests.
if os.path.exists("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"):
    config.available_features.add("fashion-mnist")
else:
    lit_config.note("Fashion-MNIST accuracy tests skipped: "
                    "/usr/share/datasets/fashion-mnist is missing")

# Distributed search (test/Search): needs a build with TNAS_ENABLE_MPI and
# an mpirun. CI runs as root, which Open MPI refuses without the flag.
llvm_config.add_tool_substitutions(["tnas-search-selftest"], tool_dirs)
mpirun = shutil.which("mpirun")
cache = os.path.join(config.tnas_obj_root, "CMakeCache.txt")
mpi_built = os.path.exists(cache) and "TNAS_ENABLE_MPI:BOOL=ON" in open(cache).read()
if mpirun and mpi_built:
    config.available_features.add("mpi")
    config.substitutions.append(
        ("%mpirun", mpirun + " --allow-run-as-root --oversubscribe"))
else:
    lit_config.note("distributed search tests skipped: "
                    + ("no mpirun on PATH" if not mpirun
                       else "built without TNAS_ENABLE_MPI"))

# The front end's libFuzzer target is built only where clang is installed.
if os.path.exists(os.path.join(config.tnas_tools_dir, "tnas-frontend-fuzzer")):
    config.available_features.add("tnas-frontend-fuzzer")
