#!/usr/bin/env bash
# Builds the project on ND4J's CUDA backend (-Pcuda), runs the core tests and the two-path test
# of the layers module there (ReductionPath AUTO resolves to ND4J on CUDA, so the whole core
# suite exercises the ND4J reduction path; the two-path tests compare it with the Java path on
# the same device), then the metric-pass benchmark rows, and writes every figure to one file.
#
# Usage: scripts/gpu-check.sh [results-file]     (default: gpu-check-results.txt)
# Needs: an NVIDIA GPU with a driver for CUDA 11.6 and cuDNN 8 (nd4j-cuda-11.6, classifier
# linux-x86_64-cudnn); Maven downloads about 1.2 GB of CUDA natives on the first run.
# Exits non-zero, before building anything, when no CUDA device is visible, and non-zero at the
# end when a test failed or the benchmarks did not run on the CUDA backend.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT="${1:-gpu-check-results.txt}"
LOG_DIR="$(mktemp -d)"
REPEATS="${REPEATS:-5}"

fail() {
    echo "gpu-check: $*" >&2
    exit 1
}

# 1. A CUDA device, before any download or build.
command -v nvidia-smi >/dev/null 2>&1 \
    || fail "no CUDA device: nvidia-smi is not on the PATH (no NVIDIA driver installed). This check needs a GPU."
GPUS="$(nvidia-smi -L 2>&1)" || fail "no CUDA device: 'nvidia-smi -L' failed: ${GPUS}"
echo "${GPUS}" | grep -q '^GPU ' || fail "no CUDA device: 'nvidia-smi -L' lists no GPU: ${GPUS}"

{
    echo "# gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "host: $(hostname)"
    echo "${GPUS}"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true
    echo "load before: $(uptime)"
} > "${OUT}"

# 2. The CUDA build (the same command the README documents).
echo "gpu-check: mvn -B -Pcuda -DskipTests package (log: ${LOG_DIR}/package.log)"
mvn -B -Pcuda -DskipTests package > "${LOG_DIR}/package.log" 2>&1 \
    || { tail -50 "${LOG_DIR}/package.log" >&2; fail "mvn -B -Pcuda -DskipTests package failed"; }
echo "package -Pcuda: OK" >> "${OUT}"

# 3. Core tests, and the layers module's two-path test, on the GPU.
status=0
echo "gpu-check: core tests on CUDA (log: ${LOG_DIR}/core-tests.log)"
mvn -B -Pcuda -pl dl4j-invariance-core test -Dmaven.test.failure.ignore=true > "${LOG_DIR}/core-tests.log" 2>&1 || status=1
echo "gpu-check: layers two-path test on CUDA (log: ${LOG_DIR}/layers-tests.log)"
mvn -B -Pcuda -pl dl4j-invariance-layers -am verify -Dtest='ReductionPath*' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dmaven.test.failure.ignore=true > "${LOG_DIR}/layers-tests.log" 2>&1 || status=1
{
    echo
    echo "## tests on CUDA"
    grep -h "Backend used" "${LOG_DIR}/core-tests.log" | head -1 || true
    grep -h "largest |JAVA - ND4J|" "${LOG_DIR}/core-tests.log" "${LOG_DIR}/layers-tests.log" || true
    grep -h "Tests run:.*Fail" "${LOG_DIR}/core-tests.log" "${LOG_DIR}/layers-tests.log" | grep -v " in " || true
    grep -h "<<< FAIL" "${LOG_DIR}/core-tests.log" "${LOG_DIR}/layers-tests.log" || true
} >> "${OUT}"
if grep -q "<<< FAIL\|BUILD FAILURE" "${LOG_DIR}/core-tests.log" "${LOG_DIR}/layers-tests.log"; then
    status=1
fi

# 4. The metric-pass benchmark rows (metric pass / output(); ND4J path / Java path).
echo "gpu-check: benchmark rows (log: ${LOG_DIR}/bench.log)"
java -jar benchmarks/target/benchmarks.jar "${REPEATS}" "metric pass" > "${LOG_DIR}/bench.log" 2>&1 || status=1
{
    echo
    echo "## benchmark rows on CUDA (median of ${REPEATS} alternating repeats)"
    grep -h "Loaded \[" "${LOG_DIR}/bench.log" | head -1 || true
    grep -E "^(name|metric pass)" "${LOG_DIR}/bench.log" || true
    echo "load after: $(uptime)"
} >> "${OUT}"
grep -q "Loaded \[JCublasBackend\]" "${LOG_DIR}/bench.log" || {
    echo "NOT ON CUDA: the benchmarks did not load ND4J's CUDA backend (see ${LOG_DIR}/bench.log)" >> "${OUT}"
    status=1
}

echo "gpu-check: figures in ${OUT}; logs in ${LOG_DIR}"
[ "${status}" -eq 0 ] || fail "a test failed or a step did not run on CUDA; see ${OUT} and ${LOG_DIR}"
