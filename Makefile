# triad-acceptance: see README.md.
#   make drill [ENV=environments/bsfg-triad/simulated.yaml] [TAGS='@zone-up'] [WAIVERS=file]   run the features against a zone
#              [DRY_RUN=1] [READ_ONLY=1] [ALLOW_DESTRUCTIVE=1]      plan only / no fault / faults a live zone allows
#              [JOBS=4]                                             scenarios that read the zone side by side
#   make heal ENV=environments/<zone>.yaml                         undo any fault a dead harness left on a live zone
#   make test                                                       the harness's own tests
#   make images                                                     build every profile's images (make drill, up and gate build only ENV's)
#   make mutants [ONLY=name,...]                                    every mutant must be caught by its scenario (one queue, 3 lanes)
#   make test mutants                                               both (CI); target/time-split.md says where the time went
#   make verify-report [RUN=reports/latest] [ALLOWED_SIGNERS=file]   the run directory matches its SHA-256 manifest,
#              and its signature (a key of the allowed-signers file; SIGN_WITH=key|agent on make drill signs a run)
#   make fleet [RUNS=reports ...] [OVERDUE_DAYS=90]                 one page for many zones: fleet.html, the last acceptance of each
#   make bench [REPS=3] [COLD_REPS=1] [STAGES=...] [PROFILES=...]    the harness's own speed and precision, reports/bench/
#   make up [ENV=environments/bsfg-triad/simulated.yaml]                        start the simulated zone and keep it (.triad/up/<zone>.yaml)
#   make down                                                       remove the zone 'make up' kept
#   make gate PROVISION=playbook.yml [REFERENCE=bare|keep] [ENV=...] [TAGS=...]   gate a change: the simulated zone
#              converged by the playbook (run twice: the second run must change nothing), then the drill
ENV  ?= environments/bsfg-triad/simulated.yaml
TAGS ?=
WAIVERS ?=
DRY_RUN ?=
READ_ONLY ?=
ALLOW_DESTRUCTIVE ?=
SIGN_WITH ?=
JOBS ?=
# A live zone needs no image: only a simulated one is built here.
KIND := $(shell sed -n 's/^kind:[[:space:]]*\([a-z]*\).*/\1/p' '$(ENV)' 2>/dev/null)
MVN  ?= mvn -B -q

# Testcontainers against a local engine with no registry (see ../shared/machine-notes.md)
export TESTCONTAINERS_RYUK_DISABLED = true
export TESTCONTAINERS_HOST_OVERRIDE = localhost
export TESTCONTAINERS_CHECKS_DISABLE = true

.PHONY: all build images env-images drill heal test mutants verify-report fleet bench clean sweep up down gate gate-check

all: test

build:
	$(MVN) -DskipTests package

images: build
	fixtures/build-images.sh >/dev/null

# Only the images ENV's profile needs (and Toxiproxy): a first drill builds one node image, not five.
env-images: build
	fixtures/build-images.sh --for '$(ENV)' >/dev/null

drill: build $(if $(filter simulated,$(KIND)),$(if $(DRY_RUN),,env-images))
	bin/triad drill --env '$(ENV)' $(if $(TAGS),--tags '$(TAGS)') $(if $(WAIVERS),--waivers '$(WAIVERS)') \
	  $(if $(DRY_RUN),--dry-run) $(if $(READ_ONLY),--read-only) $(if $(ALLOW_DESTRUCTIVE),--allow-destructive) \
	  $(if $(SIGN_WITH),--sign-with '$(SIGN_WITH)') $(if $(JOBS),--jobs '$(JOBS)')

PROVISION ?=
REFERENCE ?=
gate-check:
	@test -n '$(PROVISION)' || { echo "make gate needs PROVISION=<an Ansible playbook> (for example PROVISION=examples/provision/bsfg-onto-reference/site.yml REFERENCE=keep)" >&2; exit 2; }

gate: gate-check build env-images
	bin/triad drill --env '$(ENV)' --provision '$(PROVISION)' $(if $(REFERENCE),--reference '$(REFERENCE)') \
	  $(if $(TAGS),--tags '$(TAGS)') $(if $(WAIVERS),--waivers '$(WAIVERS)') $(if $(SIGN_WITH),--sign-with '$(SIGN_WITH)')

heal: build
	bin/triad heal --env '$(ENV)'

# On two lanes (bin/test-lanes; TRIAD_TEST_LANES=1: one); Maven's quiet mode hides Surefire's summary:
# bin/test-summary closes the run with the counts of both.
# make test mutants (what CI runs) is one run, bin/ci-lanes: the mutant lanes start as make test's lanes end.
BOTH := $(if $(ONLY),,$(and $(filter test,$(MAKECMDGOALS)),$(filter mutants,$(MAKECMDGOALS))))
test: images
	fixtures/ensure-test-tools.sh
	MVN='$(MVN)' $(if $(BOTH),bin/ci-lanes,bin/test-lanes)

# Every catalog's mutants as one queue on parallel lanes, each on its own subnets (bin/mutant-lanes, TRIAD_MUTANT_LANES=3);
# ONLY= runs those mutants in one process on the files' subnets.
mutants: images $(if $(BOTH),test)
	$(if $(BOTH),@echo "make mutants: run beside make test's lanes above (bin/ci-lanes)",$(if $(ONLY),bin/triad mutants --only '$(ONLY)',bin/mutant-lanes))

REPS ?= 3
COLD_REPS ?= 1
STAGES ?=
bench: images
	bin/triad bench --reps '$(REPS)' --cold-reps '$(COLD_REPS)' $(if $(STAGES),--stages '$(STAGES)') $(if $(PROFILES),--profiles '$(PROFILES)')

RUN ?= reports/latest
ALLOWED_SIGNERS ?=
verify-report: build
	bin/triad verify-report '$(RUN)' $(if $(ALLOWED_SIGNERS),--allowed-signers '$(ALLOWED_SIGNERS)')

RUNS ?= reports
OVERDUE_DAYS ?= 90
fleet: build
	bin/triad fleet $(RUNS) --overdue-days '$(OVERDUE_DAYS)'

up: env-images
	bin/triad up --env '$(ENV)'

down: build
	bin/triad down

# Removes whatever a killed run of the simulated triad left behind (a zone 'make up' kept too).
sweep:
	-docker ps -aq --filter label=triad.acceptance=simulated-triad | xargs -r docker rm -f
	-docker network ls -q --filter label=triad.acceptance=simulated-triad | xargs -r docker network rm
	-docker volume ls -q --filter label=triad.acceptance=simulated-triad | xargs -r docker volume rm
	rm -rf /dev/shm/triad-volumes .triad/up

clean:
	$(MVN) clean
	rm -rf fixtures/.build
