/* smokers.pml: Downey's cigarette smokers, the naive solution, with
   semaphores as counters. Spin reports the deadlock as an invalid end
   state. */
byte agent = 1, tobacco = 0, paper = 0, match = 0;

inline P(s) { atomic { s > 0 -> s-- } }
inline V(s) { s++ }

active proctype agent_a() { P(agent); V(tobacco); V(paper) }
active proctype agent_b() { P(agent); V(paper); V(match) }
active proctype agent_c() { P(agent); V(tobacco); V(match) }
active proctype smoker_with_match() { P(tobacco); P(paper); V(agent) }
active proctype smoker_with_tobacco() { P(paper); P(match); V(agent) }
active proctype smoker_with_paper() { P(tobacco); P(match); V(agent) }
