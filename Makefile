# triad-acceptance: see README.md.
#   make drill [ENV=environments/simulated.yaml] [TAGS='@zone-up'] [WAIVERS=file]   run the features against a zone
#   make test                                                       the harness's own tests
#   make images                                                     build the simulated triad's images
#   make mutants [ONLY=name,...]                                    every mutant must be caught by its scenario
#   make verify-report [RUN=reports/latest]                          the run directory matches its SHA-256 manifest
ENV  ?= environments/simulated.yaml
TAGS ?=
WAIVERS ?=
MVN  ?= mvn -B -q

# Testcontainers against a local engine with no registry (see ../shared/machine-notes.md)
export TESTCONTAINERS_RYUK_DISABLED = true
export TESTCONTAINERS_HOST_OVERRIDE = localhost
export TESTCONTAINERS_CHECKS_DISABLE = true

.PHONY: all build images drill test mutants verify-report clean sweep

all: test

build:
	$(MVN) -DskipTests package

images: build
	fixtures/build-images.sh >/dev/null

drill: images
	bin/triad drill --env '$(ENV)' $(if $(TAGS),--tags '$(TAGS)') $(if $(WAIVERS),--waivers '$(WAIVERS)')

test: images
	fixtures/ensure-chromium.sh
	$(MVN) test

mutants: images
	bin/triad mutants $(if $(ONLY),--only '$(ONLY)')

RUN ?= reports/latest
verify-report: build
	bin/triad verify-report '$(RUN)'

# Removes whatever a killed run of the simulated triad left behind.
sweep:
	-docker ps -aq --filter label=triad.acceptance=simulated-triad | xargs -r docker rm -f
	-docker network ls -q --filter label=triad.acceptance=simulated-triad | xargs -r docker network rm
	-docker volume ls -q --filter label=triad.acceptance=simulated-triad | xargs -r docker volume rm

clean:
	$(MVN) clean
	rm -rf fixtures/.build
