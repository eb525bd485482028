" lockstep scenario files
autocmd BufNewFile,BufRead *.scn setfiletype scn
