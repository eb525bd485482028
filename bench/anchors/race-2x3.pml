/* race-2x3.pml: two processes add 1 three times each to a shared counter,
   load and store apart (as lockstep's `counter += 1`). The monitor asserts
   the total once both are done: Spin's counterexample is a lost update. */
byte counter = 0;
byte done = 0;

active [2] proctype t()
{
	byte i = 0;
	byte tmp;

	do
	:: i < 3 ->
		tmp = counter;
		counter = tmp + 1;
		i++
	:: else -> break
	od;
	done++
}

active proctype monitor()
{
	done == 2 -> assert(counter == 6)
}
