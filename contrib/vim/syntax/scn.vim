" Vim syntax file
" Language:	lockstep scenario (.scn)
" Maintainer:	the lockstep authors
" Install:	copy to ~/.vim/syntax/scn.vim and ftdetect/scn.vim to
"		~/.vim/ftdetect/ (make install puts both in
"		$(datadir)/vim/vimfiles/)

if exists("b:current_syntax")
  finish
endif

syn keyword scnDecl	mutex rlock semaphore condition barrier queue pipe fifo
syn keyword scnDecl	mqueue socket mmap shm shared local int manager
syn keyword scnWorker	thread process main pool daemon
syn keyword scnControl	repeat forever while if elif else with break pass
syn keyword scnControl	start join
syn keyword scnOp	lock unlock acquire release signal wait notify
syn keyword scnOp	notify_all put get try send recv close open read write
syn keyword scnOp	listen accept connect sleep compute print crash assert
syn keyword scnOp	mark locked
syn keyword scnOption	timeout blocking priority duplex unix tcp atomic as to
syn keyword scnOption	tasks task result copy len
syn keyword scnOperator	and or not
syn keyword scnExpect	expect nextgroup=scnVerdict skipwhite
syn keyword scnVerdict	deadlock stall completes self_deadlock
syn keyword scnVerdict	potential_deadlock no before max min value contained
syn keyword scnMeta	title about note
syn match   scnNumber	"\<\d\+\(ns\|us\|ms\|s\)\=\>"
syn region  scnString	start=+"""+ end=+"""+ keepend
syn region  scnString	start=+"+ skip=+\\"+ end=+"+ oneline contains=scnInterp
syn match   scnInterp	"{[^}]*}" contained
syn match   scnComment	"#.*$" contains=@Spell

hi def link scnDecl	Type
hi def link scnWorker	Structure
hi def link scnControl	Repeat
hi def link scnOp	Statement
hi def link scnOption	Special
hi def link scnOperator	Operator
hi def link scnExpect	PreProc
hi def link scnVerdict	Constant
hi def link scnMeta	PreProc
hi def link scnNumber	Number
hi def link scnString	String
hi def link scnInterp	Identifier
hi def link scnComment	Comment

let b:current_syntax = "scn"
