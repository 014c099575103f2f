#!/usr/bin/env bash
# Fetches the jars local Spark needs to read and write S3 (s3:// through S3A), from Maven Central with
# Maven, into ~/.cache/clickstream-bi/jars (outside the repository): hadoop-aws 3.3.4, the version of
# pyspark 3.5.4's Hadoop, and the AWS SDK bundle it was built against. Idempotent and quiet when present.
set -euo pipefail
cache="${CLICKSTREAM_CACHE:-$HOME/.cache/clickstream-bi}"
jars="$cache/jars"
artifacts=(org.apache.hadoop:hadoop-aws:3.3.4 com.amazonaws:aws-java-sdk-bundle:1.12.262)
missing=()
for artifact in "${artifacts[@]}"; do
  IFS=: read -r _ name version <<<"$artifact"
  [ -s "$jars/$name-$version.jar" ] || missing+=("$artifact")
done
[ ${#missing[@]} -eq 0 ] && exit 0
command -v mvn >/dev/null 2>&1 || { echo "scripts/spark-jars.sh: Maven (mvn) is needed to fetch ${missing[*]}; install it (apt-get install maven)" >&2; exit 1; }
echo "fetching ${missing[*]} into $jars..."
for artifact in "${missing[@]}"; do
  mvn -q -B -Dmaven.repo.local="$cache/m2" dependency:copy -Dartifact="$artifact" -DoutputDirectory="$jars"
done
