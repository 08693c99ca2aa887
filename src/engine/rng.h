/* rng.h - xoshiro256** seeded through splitmix64 (Blackman and Vigna).
 * Private to the engine: other modules draw through sim_rand_*(). */
#ifndef NL_RNG_H
#define NL_RNG_H

#include <stdint.h>

#include "engine/sim.h"

struct rng {
	uint64_t s[4];		/* xoshiro256** state, never all zero */
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint64_t rng_below(struct rng *r, uint64_t n);
double rng_unit(struct rng *r);
sim_time rng_exp(struct rng *r, sim_time mean);

#endif
