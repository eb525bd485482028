/* philosophers.pml: five philosophers, each takes its left fork then its
   right one. Spin reports the circular wait as an invalid end state. */
#define N 5
bit fork[N];

active [N] proctype phil()
{
	byte l = _pid, r = (_pid + 1) % N;

	atomic { fork[l] == 0 -> fork[l] = 1 };
	atomic { fork[r] == 0 -> fork[r] = 1 };
	fork[r] = 0;
	fork[l] = 0
}
